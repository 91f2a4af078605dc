from django import forms
from django.core.exceptions import ValidationError

from lib.middleware import LARGEST_ID


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, except that a number too big for any database column is an invalid choice
    instead of an OverflowError from SQLite in the `pk__in` lookup (a 500), and that the
    message for a value that is no id at all is in Vietnamese (Django has no translation)."""

    default_error_messages = {
        "invalid_pk_value": "Hãy chọn trong danh sách: “%(pk)s” không phải là một lựa chọn.",
    }

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                number = int(str(pk).strip())
            except ValueError:
                continue  # the lookup below refuses it with the message above
            if not -LARGEST_ID <= number <= LARGEST_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
