"""The reference frameworks (e-CF, ESCO, DigComp): loaded into the database, and read as people
and badges see them."""
