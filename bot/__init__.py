"""wiift: a Slack coaching bot that keeps B2B sellers focused on what's in it for the buyer."""
