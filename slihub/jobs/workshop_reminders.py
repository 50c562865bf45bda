"""Reminders of regional knowledge workshops (registered with slihub.jobs.reminders.reminder)."""
