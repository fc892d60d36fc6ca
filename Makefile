# The README's two set-up commands are `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test slow bench clean

$(BIN)/onpath: pyproject.toml setup.py
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip "setuptools>=77" wheel
	$(BIN)/pip install -q -e '.[test]'
	@touch $(BIN)/onpath

install: $(BIN)/onpath
	@# C sources may have changed: rebuild the extensions in place
	$(BIN)/pip install -q --no-deps --no-build-isolation -e . >/dev/null

demo: install
	$(BIN)/onpath demo --out demo

test: install
	$(BIN)/python -m pytest -q

slow: install
	$(BIN)/python -m pytest -q -m slow

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf build demo $(VENV) src/onpath/**/*.so
