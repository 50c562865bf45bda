"""SLI Hub: sector-led improvement of children's services in England."""
