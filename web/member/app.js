// placeholder: the member app
