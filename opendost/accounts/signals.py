def sync_roles_after_migrate(sender, **kwargs):
    from opendost.accounts.services import roles_sync

    roles_sync()
