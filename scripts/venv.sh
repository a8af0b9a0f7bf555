# Sourced by scripts/start and scripts/test: makes .venv (Python >= 3.11) and installs the project
# into it, again only when pyproject.toml has changed since the last install.
ensure_venv() {
  local extras="$1"
  local python="${PYTHON:-python3}"
  if [ ! -x .venv/bin/python ]; then
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "Team tourism needs Python 3.11 or newer; set PYTHON=/path/to/python3.11 and retry." >&2
      exit 1
    fi
    echo "Creating .venv with $("$python" --version)…"
    "$python" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
  fi
  local stamp=".venv/.installed${extras}"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "Installing the project and its dependencies into .venv…"
    .venv/bin/python -m pip install --quiet --editable ".${extras}"
    touch "$stamp"
  fi
}
