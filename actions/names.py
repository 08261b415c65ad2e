"""Action names that code outside the action server also needs to know."""

ACTION_DELETE_MY_DATA = "action_delete_my_data"
