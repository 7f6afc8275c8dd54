"""Engagement and impact reports for companies and foundations: figures over a period, the
competences the associations assessed, the valuation of donated time, and their exports."""
