"""The router: validates, normalises and routes intake into pool topics."""
