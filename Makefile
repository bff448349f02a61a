# Puente — every target installs what it needs first, so a fresh clone needs only `make run` / `make test`.
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
VENV := .venv
BIN := $(VENV)/bin

.DEFAULT_GOAL := help
.PHONY: help install run test lint fmt types check bench migrate api matcher clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.installed ## Create .venv with the locked dependencies

run: install ## Migrate, load demo data if empty, serve the api and the worker (embedded PostgreSQL/Redis if unset)
	$(BIN)/puente run

test: install ## The whole test suite against real PostgreSQL and Redis (embedded if DATABASE_URL/REDIS_URL unset)
	$(BIN)/pytest

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install ## Format and auto-fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

types: install ## mypy --strict
	$(BIN)/mypy shared services

check: lint types test ## Everything CI checks

bench: install ## Benchmarks, each beside its baseline from the same run
	$(BIN)/python -m bench

migrate: install ## alembic upgrade head
	$(BIN)/puente migrate

api: install ## The api alone (needs DATABASE_URL and REDIS_URL, or starts embedded ones)
	$(BIN)/uvicorn --factory services.api.main:create_app --host $${PUENTE_HOST:-127.0.0.1} --port $${PUENTE_PORT:-8000}

matcher: install ## The worker alone
	$(BIN)/puente worker

clean: ## Remove the venv and embedded data
	rm -rf $(VENV) .puente .mypy_cache .ruff_cache .pytest_cache
