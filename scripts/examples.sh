# Sourced by the scripts that go over every example: the list is the grader's built-in specs
# (crates/grader/specs/NAME.toml, in name order, as `grade --list`), each example's demo is
# NAME-demo and its Python original tests/reference/ref_NAME.py, unless its
# tests/fixtures/NAME/example.toml says otherwise (see tests/example_list.rs).

# examples: every example's name, one a line.
examples() {
  local f
  for f in crates/grader/specs/*.toml; do basename "$f" .toml; done | LC_ALL=C sort
}

# example_setting NAME KEY: KEY's value in the example's example.toml (a string unquoted), or
# nothing when unset.
example_setting() {
  local file="tests/fixtures/$1/example.toml"
  [[ -f $file ]] || return 0
  sed -n "s/^$2 = //p" "$file" | sed 's/^"\(.*\)"$/\1/'
}

# is_pair NAME: the example is two programs run together (its example.toml names its demos).
is_pair() {
  [[ -n $(example_setting "$1" demos) ]]
}
