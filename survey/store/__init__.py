"""The store of responses: raw answers, validated answers, provenance and status, kept forever."""
