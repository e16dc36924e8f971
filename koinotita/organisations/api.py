from ninja import Router, Schema

from koinotita.organisations.selectors import centre_list_for

router = Router(tags=["network"])


class SiteOut(Schema):
    code: str
    name: str
    name_en: str
    kind: str
    specialisation: str | None
    serves_municipality: str


class CentreOut(Schema):
    code: str
    name: str
    name_en: str
    municipality: str
    region: str
    sites: list[SiteOut]


@router.get("/centres", response=list[CentreOut], summary="Centres the caller may see")
def centres(request):
    return [
        CentreOut(
            code=c.code,
            name=c.name,
            name_en=c.name_en,
            municipality=c.municipality.code,
            region=c.municipality.regional_unit.region.code,
            sites=[
                SiteOut(
                    code=s.code,
                    name=s.name,
                    name_en=s.name_en,
                    kind=s.kind,
                    specialisation=s.specialisation or None,
                    serves_municipality=s.serves_municipality.code,
                )
                for s in c.sites.all()
            ],
        )
        for c in centre_list_for(request.user).order_by("code")
    ]
