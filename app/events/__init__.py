"""Business-matching events (temu bisnis): registration, meeting requests, the schedule."""
