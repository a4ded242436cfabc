"""Every write in recruitment: one function per use case, in a transaction, audited.

Modules: campaigns (campaigns, regions, declaration rules), quotas (apportionment
and manual adjustment), applications (submit, correct, withdraw, erase, verify,
score), imports (bulk files), screening (eligibility), selection (ranking,
replacement) and notices (announcing results, making TKS accounts).
"""
