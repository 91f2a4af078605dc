"""Plain SQL for the few reads that run on every request of a contest rush.

Building an ORM query costs more than running it: on SQLite a one-row read by primary key
takes about 0.3-0.6 ms to build and 0.03 ms to run. For the reads every request of a
signed-in participant makes (session, user, the attempt being graded) the SQL is spelled once
from the models' own table and column names, and rows come back as model instances through
the converters the ORM itself applies (dates from SQLite text, UUIDs, JSON, booleans).
Everywhere else, use the ORM.
"""

from functools import cache

from django.db import connection


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model) -> str:
    return quote(model._meta.db_table)


def column(model, name: str) -> str:
    """The quoted, table-qualified column of a field (by name or attname)."""
    return f"{table(model)}.{quote(model._meta.get_field(name).column)}"


def fields(model, names=None) -> tuple:
    """The model's concrete fields, all or those named, always in the model's order."""
    concrete = model._meta.concrete_fields
    if names is None:
        return tuple(concrete)
    wanted = set(names)
    return tuple(f for f in concrete if f.name in wanted or f.attname in wanted)


def select_list(model, names=None) -> str:
    """Columns to SELECT, in the order `instance` expects its values."""
    return ", ".join(column(model, f.attname) for f in fields(model, names))


def split(row, *models) -> list:
    """A joined row of whole models' select_lists, cut into each model's values."""
    parts, start = [], 0
    for model in models:
        end = start + len(fields(model))
        parts.append(row[start:end])
        start = end
    return parts


def instance(model, values, names=None):
    """A model instance from one row's values of `select_list(model, names)`."""
    chosen = fields(model, names)
    values = list(values)
    for position, converters in _converters(model, tuple(chosen), connection.vendor):
        value = values[position]
        for convert, expression in converters:
            value = convert(value, expression, connection)
        values[position] = value
    return model.from_db(connection.alias, [f.attname for f in chosen], values)


@cache
def _converters(model, chosen: tuple, vendor: str) -> list:
    """(position, [(converter, expression)]) for the fields whose database value needs one."""
    result = []
    for position, field in enumerate(chosen):
        col = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        if converters:
            result.append((position, [(convert, col) for convert in converters]))
    return result
