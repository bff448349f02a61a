"""The webhooks worker's arq entry points: thin, ids in, a count out."""
