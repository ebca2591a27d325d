namespace KvmTime.Linux.Boot;

/// <summary>A boot configuration file as read from the target; Content is null when it does not exist.</summary>
internal sealed record BootFile(string Path, string? Content);

/// <summary>The new content planned for one boot configuration file.</summary>
internal sealed record FileRewrite(string Path, string? OldContent, string NewContent);

/// <summary>What an editor decided for a set of files: the rewrites (only files that change) and the arguments added and removed.</summary>
internal sealed record FileEditOutcome(IReadOnlyList<FileRewrite> Rewrites, IReadOnlyList<string> Added, IReadOnlyList<string> Removed)
{
    public static readonly FileEditOutcome None = new([], [], []);

    internal static FileEditOutcome From(IReadOnlyList<BootFile> files, IReadOnlyList<string> texts, ArgumentEditResult result)
    {
        var rewrites = new List<FileRewrite>();
        for (var i = 0; i < files.Count; i++)
        {
            var edits = result.Edits.Where(e => e.File == i).ToList();
            if (edits.Count == 0)
            {
                continue;
            }

            var updated = ArgumentListEditor.ApplyEdits(texts[i], edits);
            if (updated != files[i].Content)
            {
                rewrites.Add(new FileRewrite(files[i].Path, files[i].Content, updated));
            }
        }

        return new FileEditOutcome(rewrites, result.Added, result.Removed);
    }
}
