"""People and organisations: accounts and sign-in, volunteer profiles and needs, the verification
of associations, imports and exports of profiles, and how long personal data is kept."""
