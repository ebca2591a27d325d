using System.Text;

namespace KvmTime.HelpBuilder;

/// <summary>Reads a PlatyPS (schema 2.0.0) markdown page into a <see cref="CommandHelp"/>.</summary>
public static class MarkdownHelpReader
{
    public static CommandHelp Read(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var help = new CommandHelp();
        var lines = StripFrontMatter(markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'));
        string section = string.Empty;
        var buffer = new List<string>();
        string? subHeading = null;
        var inCode = false;

        void Flush()
        {
            ApplySection(help, section, subHeading, buffer);
            buffer.Clear();
        }

        foreach (var line in lines)
        {
            // A line that starts with # inside a code fence (shell comments in an example) is not a heading.
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }

            if (inCode || line.StartsWith("```", StringComparison.Ordinal))
            {
                buffer.Add(line);
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                help.Name = line[2..].Trim();
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                Flush();
                section = line[3..].Trim().ToUpperInvariant();
                subHeading = null;
            }
            else if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                Flush();
                subHeading = line[4..].Trim();
            }
            else
            {
                buffer.Add(line);
            }
        }

        Flush();
        return help;
    }

    private static IEnumerable<string> StripFrontMatter(string[] lines)
    {
        if (lines.Length == 0 || lines[0].Trim() != "---")
        {
            return lines;
        }

        var end = Array.FindIndex(lines, 1, l => l.Trim() == "---");
        return end < 0 ? lines : lines.Skip(end + 1);
    }

    private static void ApplySection(CommandHelp help, string section, string? sub, List<string> body)
    {
        switch (section)
        {
            case "SYNOPSIS":
                help.Synopsis = Prose(body);
                break;
            case "DESCRIPTION":
                help.Description = Prose(body);
                break;
            case "NOTES":
                help.Notes = Prose(body);
                break;
            case "SYNTAX":
                // One block per parameter set: a long syntax line wrapped in the markdown is still one line.
                var syntax = string.Join(' ', CodeBlock(body).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                if (syntax.Length > 0)
                {
                    help.Syntax.Add(new SyntaxBlock((sub ?? string.Empty).Replace(" (Default)", string.Empty, StringComparison.Ordinal), syntax));
                }

                break;
            case "EXAMPLES" when sub is not null:
                help.Examples.Add(new ExampleHelp(sub, CodeBlock(body), Prose(WithoutCode(body))));
                break;
            case "PARAMETERS" when sub is not null && sub.StartsWith('-'):
                help.Parameters.Add(ReadParameter(sub[1..], body));
                break;
            case "INPUTS" when sub is not null:
                help.Inputs.Add(new TypeHelp(sub, Prose(body)));
                break;
            case "OUTPUTS" when sub is not null:
                help.Outputs.Add(new TypeHelp(sub, Prose(body)));
                break;
            case "RELATED LINKS":
                help.RelatedLinks.AddRange(body.Select(l => l.Trim()).Where(l => l.Length > 0));
                break;
        }
    }

    private static ParameterHelp ReadParameter(string name, List<string> body)
    {
        var parameter = new ParameterHelp { Name = name, Description = Prose(WithoutCode(body)) };
        foreach (var line in CodeBlock(body).Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim();
            switch (line[..colon].Trim())
            {
                case "Type": parameter.Type = value; break;
                case "Parameter Sets": parameter.ParameterSets.AddRange(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)); break;
                case "Aliases": parameter.Aliases = value; break;
                case "Required": parameter.Required = value.StartsWith("True", StringComparison.OrdinalIgnoreCase); break;
                case "Position": parameter.Position = value; break;
                case "Default value": parameter.DefaultValue = value; break;
                case "Accept pipeline input": parameter.PipelineInput = value; break;
                case "Accept wildcard characters": parameter.Globbing = value.StartsWith("True", StringComparison.OrdinalIgnoreCase); break;
            }
        }

        return parameter;
    }

    /// <summary>The text of the first fenced code block.</summary>
    private static string CodeBlock(List<string> body)
    {
        var code = new StringBuilder();
        var inside = false;
        foreach (var line in body)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                if (inside)
                {
                    break;
                }

                inside = true;
            }
            else if (inside)
            {
                code.Append(line).Append('\n');
            }
        }

        return code.ToString().TrimEnd();
    }

    private static List<string> WithoutCode(List<string> body)
    {
        var prose = new List<string>();
        var inside = false;
        foreach (var line in body)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inside = !inside;
            }
            else if (!inside)
            {
                prose.Add(line);
            }
        }

        return prose;
    }

    private static string Prose(List<string> body) => string.Join('\n', body).Trim();
}
