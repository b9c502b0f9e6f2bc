"""Partners and bapak asuh: sign-up and approval, open needs matched to pledges, the
contribution ledger (pledge -> deliveries -> verification), patron assignments with the
family's consent, fortnightly visits and the partner portal."""
