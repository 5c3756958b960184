"""Half-yearly inspections of cells' meetings (DOMAIN.md §3.7, seed 000):
`rules` (the period, pure), `services`, `selectors`, `forms`, `views`, `urls`."""
