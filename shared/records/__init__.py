"""Write rules for the records both services create: the API from requests, the worker from
inbound webhooks. One module per record: its input shapes and its create/update/upsert functions."""
