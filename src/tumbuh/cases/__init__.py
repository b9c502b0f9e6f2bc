"""Cases and satu komando: every stunted or at-risk child (and risky pregnancy) handled by
case, with needs, interventions, referrals, tasks to OPD, deadlines and escalation."""
