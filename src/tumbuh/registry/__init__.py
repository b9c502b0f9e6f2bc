"""Registry: every child and pregnant woman by name and by address (families, people,
children, mothers and pregnancies, breastfeeding, measurements, consent)."""
