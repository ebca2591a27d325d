using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// What reading one target's logs gave: the events, in file order, and the problems, each tied
/// to its file, so one bad path never costs the good files' events.
/// </summary>
internal sealed record KernelLogReadResult(IReadOnlyList<ClocksourceEvent> Events, IReadOnlyList<KernelLogPathError> Errors, IReadOnlyList<string> Warnings);

/// <summary>A log path that could not be read, and why.</summary>
internal sealed record KernelLogPathError(string Path, KvmTimeException Error);
