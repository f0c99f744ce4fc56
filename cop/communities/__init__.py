"""Communities (KKG, MGMP, komunitas belajar) and their memberships."""
