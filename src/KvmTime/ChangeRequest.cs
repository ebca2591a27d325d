namespace KvmTime;

/// <summary>
/// A planned change that a cmdlet's worker hands back instead of a result: <see cref="TargetCmdlet"/>
/// asks ShouldProcess on the pipeline thread (showing <see cref="Description"/>, the exact diff), then
/// runs <see cref="ApplyAsync"/> on the fan-out, or writes <see cref="IfNotApplied"/> for -WhatIf/-Confirm "no".
/// </summary>
internal sealed class ChangeRequest
{
    public required string TargetName { get; init; }

    /// <summary>What will change, in full (the -WhatIf text).</summary>
    public required string Description { get; init; }

    /// <summary>A one-line summary for the -Confirm prompt.</summary>
    public required string Summary { get; init; }

    public required Func<CancellationToken, Task<IReadOnlyList<object>>> ApplyAsync { get; init; }

    public IReadOnlyList<object> IfNotApplied { get; init; } = [];

    /// <summary>
    /// The usual shape: a plan that changes nothing is applied at once (it only reads back), anything
    /// else waits for ShouldProcess; results reach the pipeline only with -PassThru.
    /// </summary>
    public static async Task<IReadOnlyList<object>> For<T>(string targetName, string action, Changes.ChangePlan plan,
        Func<CancellationToken, Task<T>> apply, Func<T> notApplied, bool passThru, CancellationToken cancellationToken)
        where T : notnull
    {
        if (plan.IsEmpty)
        {
            return passThru ? [await apply(cancellationToken).ConfigureAwait(false)] : [];
        }

        return
        [
            new ChangeRequest
            {
                TargetName = targetName,
                Description = $"{targetName}: {action}\n{plan.Describe()}",
                Summary = $"{action} on {targetName}?",
                ApplyAsync = async ct =>
                {
                    var result = await apply(ct).ConfigureAwait(false);
                    return passThru ? [result] : [];
                },
                IfNotApplied = passThru ? [notApplied()] : [],
            },
        ];
    }
}

/// <summary>A warning produced on a worker thread, written with WriteWarning on the pipeline thread.</summary>
internal sealed record PipelineWarning(string Message);
