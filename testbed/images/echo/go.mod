module cairn.dev/testbed/echo

go 1.24.0
