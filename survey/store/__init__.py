"""The store of responses: raw answers, validated answers, provenance and status, kept forever."""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = [
    "Dataset", "Mode", "Response", "Role", "Status", "Store", "StoreError", "add_user",
    "backup_store", "check_backup", "load_dataset", "restore_store",
]

if TYPE_CHECKING:
    from survey.store.backup import backup_store, check_backup, restore_store
    from survey.store.dataset import Dataset, load_dataset
    from survey.store.schema import Mode, Status
    from survey.store.store import Response, Store, StoreError
    from survey.store.users import Role, add_user
else:
    export_lazily(__name__, {
        "survey.store.backup": ("backup_store", "check_backup", "restore_store"),
        "survey.store.dataset": ("Dataset", "load_dataset"),
        "survey.store.schema": ("Mode", "Status"),
        "survey.store.store": ("Response", "Store", "StoreError"),
        "survey.store.users": ("Role", "add_user"),
    })
