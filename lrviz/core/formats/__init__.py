"""lrviz's files: points, parameters, histories and sessions; every write is atomic.

Readers check everything and raise one error class per format whose message names the
file and what is wrong; writers refuse what their reader would refuse, so lrviz never
writes a file it cannot open again. Nothing here executes code from a file (no pickle,
no eval). One module per job:

    atomic       atomic_path, atomic_text_file, atomic_write_text, atomic_write_bytes, checked_target
    points_csv   the points CSV (x1,x2,label)
    params       trained parameters, JSON or CSV ("lrviz-params/1")
    history_csv  the per-epoch history CSV (epoch,loss,w1,w2,b)
    session      session files ("lrviz-session/2"; version 1 is read and upgraded)
    session_stream  the same session file written in pieces (long histories, off the GUI thread)
    kept_runs    a session's optional "kept_runs": the runs kept beside its run (Keep Run, Race)
    kind         is_session_file: a session or a points CSV, by the file's start
    table        any CSV/TSV table: columns, classes, and the points a choice of them gives
    table_steps  the same table read in steps (large files, off the GUI thread)
    common       the readers' shared helpers (not re-exported here)
    animation    animated GIF, WebP, APNG and MP4 files, encoded in a thread (Export Animation)
"""

from lrviz.core.formats.animation import (
    ANIMATION_FORMATS,
    MP4_HINT,
    AnimationCancelled,
    AnimationEncoder,
    animation_format,
    mp4_available,
)
from lrviz.core.formats.atomic import atomic_path, atomic_text_file, atomic_write_text
from lrviz.core.formats.atomic import (TargetError, atomic_path, atomic_text_file, atomic_write_bytes,
                                       atomic_write_text, checked_target)
from lrviz.core.formats.history_csv import (
    HistoryCsvWriter,
    HistoryFormatError,
    HistoryTable,
    read_history_csv,
    write_history_csv,
)
from lrviz.core.formats.kind import is_session_file
from lrviz.core.formats.kept_runs import (check_kept_runs, copy_kept_run, kept_runs_field, kept_runs_from_json,
                                         same_kept_runs)
from lrviz.core.formats.params import (
    PARAMS_FORMAT,
    ParamsFormatError,
    TrainedParams,
    format_params_csv,
    params_from_json_dict,
    read_params,
    write_params,
)
from lrviz.core.formats.points_csv import (
    CLASS_COLUMN,
    LABEL_COLUMN,
    DataFormatError,
    format_points_csv,
    parse_points_csv,
    read_points_csv,
    write_points_csv,
)
from lrviz.core.formats.session import (
    SESSION_FORMAT,
    Session,
    SessionFormatError,
    is_number_column,
    read_session,
    session_from_json_dict,
    session_to_json_dict,
    write_session,
)
from lrviz.core.formats.session_stream import WriteAbandoned, session_json_pieces, write_session_in_pieces
from lrviz.core.formats.json_steps import (NotInSteps, NumberColumn, StepsAbandoned, as_lists,
                                          json_object_from_blocks, json_object_in_steps)
from lrviz.core.formats.session_stream import read_session_in_steps
from lrviz.core.formats.table import (
    DELIMITERS,
    BadRowsError,
    Table,
    TableChoice,
    TableFormatError,
    TableImport,
    can_give_points,
    dataset_from_table,
    describe_bad_rows,
    guess_choice,
    in_points_layout,
    numbers,
    parse_table,
    read_table,
    sniff_delimiter,
)
from lrviz.core.formats.table_steps import TableReadStopped, read_table_in_steps

__all__ = [
    "CLASS_COLUMN", "DELIMITERS", "BadRowsError", "Table", "TableChoice", "TableFormatError", "TableImport",
    "can_give_points", "dataset_from_table", "describe_bad_rows", "guess_choice", "in_points_layout", "numbers",
    "parse_table", "read_table",
    "sniff_delimiter",
    "LABEL_COLUMN", "PARAMS_FORMAT", "SESSION_FORMAT", "DataFormatError", "HistoryCsvWriter", "HistoryFormatError",
    "HistoryTable", "ParamsFormatError", "Session", "SessionFormatError", "TargetError", "TrainedParams",
    "atomic_path", "checked_target",
    "atomic_text_file", "atomic_write_bytes", "atomic_write_text", "format_params_csv", "format_points_csv", "params_from_json_dict",
    "parse_points_csv", "read_history_csv", "read_params", "read_points_csv", "read_session",
    "session_from_json_dict", "session_to_json_dict", "write_history_csv", "write_params",
    "write_points_csv", "write_session", "is_session_file", "WriteAbandoned", "session_json_pieces",
    "write_session_in_pieces",
]
__all__ += ["TableReadStopped", "read_table_in_steps"]
__all__ += ["StepsAbandoned", "json_object_in_steps", "read_session_in_steps"]
__all__ += ["NotInSteps", "NumberColumn", "as_lists", "is_number_column", "json_object_from_blocks"]
__all__ += ["ANIMATION_FORMATS", "MP4_HINT", "AnimationCancelled", "AnimationEncoder", "animation_format",
            "mp4_available"]
__all__ += ["check_kept_runs", "copy_kept_run", "kept_runs_field", "kept_runs_from_json", "same_kept_runs"]
from lrviz.core.formats.session import run_fields  # noqa: E402 (Save Session's snapshot, below)
from lrviz.core.formats.session_snapshot import HistoryChanged, SessionSnapshot, shared_rows  # noqa: E402

__all__ += ["HistoryChanged", "SessionSnapshot", "run_fields", "shared_rows"]
