"""The home page: a landing page for visitors, a dashboard for members."""
