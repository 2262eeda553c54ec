"""The newsroom's roles, as Django groups with these permissions (created by a migration; names are a contract)."""

STORY = ["add_story", "change_story", "view_story"]
ROLES = {
    "Reporter": {
        "articles": [*STORY, "view_section", "view_tag", "add_tag"],
        "images": ["add_image", "change_image", "view_image"],
        "accounts": ["view_author"],
    },
    "Editor": {
        "articles": [
            *STORY,
            "delete_story",
            "publish_story",
            "edit_any_story",
            "add_section",
            "change_section",
            "view_section",
            "add_tag",
            "change_tag",
            "view_tag",
            "add_correction",
            "change_correction",
            "delete_correction",
            "view_correction",
            "add_liveentry",
            "change_liveentry",
            "delete_liveentry",
            "view_liveentry",
            "change_frontpage",
            "view_frontpage",
        ],
        "images": ["add_image", "change_image", "delete_image", "view_image"],
        "accounts": ["add_author", "change_author", "view_author"],
        "comments": ["view_comment", "change_comment", "moderate_comment"],
        "newsroom": ["view_revision", "view_auditentry"],
    },  # fmt: skip
    "Moderator": {
        "comments": ["view_comment", "change_comment", "delete_comment", "moderate_comment"],
        "articles": ["view_story"],
    },
    "Admin": "__all__",
}


def sync_roles(apps):
    """Create the groups and give each exactly its permissions (works with a migration's historical apps)."""
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if grants == "__all__":
            group.permissions.set(Permission.objects.all())
            continue
        wanted = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codenames in grants.items()
            for codename in codenames
        ]
        group.permissions.set(wanted)


def create_all_permissions(apps):
    """Django makes permissions after each app's migrations; the roles need all of them now."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        had_models = getattr(app_config, "models_module", None)
        app_config.models_module = had_models or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = had_models
