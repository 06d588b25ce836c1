"""The endpoints of the REST API (one module per part of the domain) and the token pages."""
