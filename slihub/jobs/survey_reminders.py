"""Reminders of the annual survey of directors (registered with slihub.jobs.reminders.reminder)."""
