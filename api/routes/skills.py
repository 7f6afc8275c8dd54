"""Competences suggested for free text (the engine's reading of a need or a profile)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from api.schemas import SkillSuggestionsRead, SuggestRequest
from matching.competences import CompetenceSuggester
from services.runtime import get_suggester

router = APIRouter(prefix="/skills", tags=["skills"])
SuggesterDep = Annotated[CompetenceSuggester, Depends(get_suggester)]


@router.post("/suggest")
def suggest(body: SuggestRequest, suggester: SuggesterDep) -> SkillSuggestionsRead:
    """e-CF 4.0 competences with a level, ESCO skills and (for training needs) DigComp."""
    found = suggester.suggest([body.text], top_k=body.top_k)[0]
    return SkillSuggestionsRead.model_validate(found, from_attributes=True)
