"""The annual survey of directors of children's services: its published results, with disclosure
control (slihub/stats/disclosure.py)."""
