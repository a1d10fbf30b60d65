"""Demo of the technology exchange: listings of every kind and state (demo_listings), then brokered
connections and fairs on them (demo_brokerage)."""


def load(*, departments, users, organizations) -> str:
    from opendost.marketplace import demo_brokerage, demo_listings

    lines = [demo_listings.load(departments=departments, users=users, organizations=organizations)]
    lines.append(demo_brokerage.load(departments=departments, users=users, organizations=organizations))
    return "; ".join(line for line in lines if line)
