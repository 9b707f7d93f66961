"""Asset, QC and job words as PR staff read them (English message ids, translated when shown).

QC reasons and rejection reasons come from the media services in English; the known ones are
listed here so they are in the catalogs, and an unknown one is shown as it is.
"""

from __future__ import annotations

from mux_scheduler.web.i18n import N_

ASSET_KINDS = ("programme", "ilm", "filler", "station_id", "bumper", "promo", "live")
CLASSIFICATIONS = ("SU", "P", "A", "R", "D")
APPROVAL_STATES = ("draft", "submitted", "approved", "rejected")
ASSET_STATUSES = ("uploaded", "analysing", "transcoding", "ready", "rejected", "failed")
LANGUAGES = {
    "id": N_("Indonesian"),
    "en": N_("English"),
    "jv": N_("Javanese"),
    "su": N_("Sundanese"),
}

APPROVAL_LABELS = {
    "draft": N_("Draft (not submitted)"),
    "submitted": N_("Waiting for approval"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
}
STATUS_LABELS = {
    "uploaded": N_("Waiting for analysis"),
    "analysing": N_("Analysing the file"),
    "transcoding": N_("Converting for the channels"),
    "ready": N_("Ready"),
    "rejected": N_("File not usable"),
    "failed": N_("Conversion failed"),
}
QC_STATUS_LABELS = {
    "pass": N_("Meets the profile"),
    "conform": N_("Will be converted"),
    "fail": N_("Cannot be used"),
}
QC_ITEM_STATUS_LABELS = {"pass": N_("OK"), "conform": N_("Will be fixed"), "fail": N_("Problem")}
QC_CHECK_LABELS = {
    "container": N_("File format"),
    "video_codec": N_("Video codec"),
    "resolution": N_("Picture size"),
    "aspect": N_("Picture shape"),
    "frame_rate": N_("Frame rate"),
    "scan": N_("Scan"),
    "video_bitrate": N_("Video bitrate"),
    "audio": N_("Sound"),
    "audio_codec": N_("Audio codec"),
    "audio_sample_rate": N_("Audio sample rate"),
    "audio_channels": N_("Audio channels"),
    "audio_bitrate": N_("Audio bitrate"),
    "loudness": N_("Loudness"),
    "true_peak": N_("Peak level"),
    "duration": N_("Duration"),
}
JOB_KIND_LABELS = {
    "assets.analyse": N_("Analysis"),
    "assets.transcode": N_("Conversion"),
}
JOB_STATE_LABELS = {
    "queued": N_("Waiting"),
    "running": N_("Running"),
    "done": N_("Done"),
    "failed": N_("Failed"),
    "cancelled": N_("Cancelled"),
}
RENDITION_STATUS_LABELS = {
    "pending": N_("Being converted"),
    "ready": N_("Ready"),
    "failed": N_("Failed"),
}
KNOWN_REASONS = (
    N_("Audio is silent: check the sound was included in the export"),
    N_("Audio will be mixed to the profile channel count"),
    N_("Audio will be re-encoded at the profile bitrate"),
    N_("Audio will be re-encoded to the profile codec"),
    N_("Audio will be resampled"),
    N_("File has no audio track: export it again with sound"),
    N_("File has no usable duration: it is shorter than one frame"),
    N_("File is not a video: no video stream found"),
    N_("File will be rewrapped as MPEG-TS"),
    N_("Frame rate will be converted to a constant profile rate"),
    N_("Loudness will be measured and normalised"),
    N_("Loudness will be normalised to the profile target"),
    N_("Peaks will be limited to the profile ceiling"),
    N_("Picture will be pillarboxed or letterboxed, never stretched"),
    N_("Picture will be scaled to the profile size"),
    N_("Scan will be converted to the profile field order"),
    N_("Video will be re-encoded at the profile constant bitrate"),
    N_("Video will be re-encoded to the profile codec"),
    N_("File is not a media file: no audio or video could be read from it"),
    N_("File has no video and no audio stream"),
    N_("File is empty (0 bytes): the upload did not complete"),
    N_("File has no audio: loudness cannot be measured"),
)


def reason_parts(reason: str | None) -> list[str]:
    """A stored rejection reason (several joined with "; ") as separate message ids."""
    return [part.strip() for part in (reason or "").split(";") if part.strip()]


TEMPLATE_LABELS: dict[str, object] = {
    "approval_labels": APPROVAL_LABELS,
    "status_labels": STATUS_LABELS,
    "qc_status_labels": QC_STATUS_LABELS,
    "qc_item_status_labels": QC_ITEM_STATUS_LABELS,
    "qc_check_labels": QC_CHECK_LABELS,
    "job_kind_labels": JOB_KIND_LABELS,
    "job_state_labels": JOB_STATE_LABELS,
    "rendition_status_labels": RENDITION_STATUS_LABELS,
    "languages": LANGUAGES,
    "reason_parts": reason_parts,
}
