PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: venv demo test lint check serve

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PY) >/dev/null 2>&1 || { echo "Cần Python 3.11 ($(PY))"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

demo: venv
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py demo_load
	@echo ""
	@echo "Học vụ số đang chạy tại http://127.0.0.1:$(PORT)/  (Ctrl+C để dừng)"
	@mkdir -p data
	@# The task worker makes lesson audio in the background; it stops with the server.
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py db_worker --no-startup-delay >data/worker.log 2>&1 & worker=$$!; \
	  $(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --skip-checks

test: venv
	$(BIN)/pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: venv
	$(BIN)/python manage.py makemigrations --check --dry-run
