"""What AWS accepts and does, as plain data and pure functions: shared by the program
(`components/`), `ops/`, `plan/` and `policy/`, and importing none of them."""
