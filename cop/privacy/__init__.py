"""Personal data (UU PDP, No. 27/2022): the privacy page, a member's data export, and
account deletion with a grace period."""
