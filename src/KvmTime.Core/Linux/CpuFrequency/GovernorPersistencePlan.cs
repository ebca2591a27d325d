using KvmTime.Changes;
using KvmTime.Model;

namespace KvmTime.Linux.CpuFrequency;

/// <summary>The boot-time part of a governor change: the configuration edit (null when it already says so) and the service to enable.</summary>
internal sealed record GovernorPersistencePlan(GovernorPersistenceMethod Method, string ConfigPath, PlannedFile? File, string Service, bool ServiceWasEnabled, string? EnableCommand);
