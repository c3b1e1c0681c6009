// placeholder: the admin app
