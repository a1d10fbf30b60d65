from ninja import NinjaAPI

api = NinjaAPI(title="OpenDOST API", version="1", urls_namespace="api")
