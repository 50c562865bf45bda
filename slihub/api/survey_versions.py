from ninja import Router

router = Router(tags=["survey versions"])
