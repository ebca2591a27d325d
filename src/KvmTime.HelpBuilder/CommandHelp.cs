namespace KvmTime.HelpBuilder;

/// <summary>One cmdlet's help as written in a PlatyPS markdown page.</summary>
public sealed class CommandHelp
{
    public string Name { get; set; } = string.Empty;
    public string Synopsis { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
    public List<SyntaxBlock> Syntax { get; } = [];
    public List<ExampleHelp> Examples { get; } = [];
    public List<ParameterHelp> Parameters { get; } = [];
    public List<TypeHelp> Inputs { get; } = [];
    public List<TypeHelp> Outputs { get; } = [];
    public string Notes { get; set; } = string.Empty;
    public List<string> RelatedLinks { get; } = [];
}

/// <summary>A parameter set's name and its syntax line.</summary>
public sealed record SyntaxBlock(string SetName, string Line);

public sealed record ExampleHelp(string Title, string Code, string Remarks);

public sealed record TypeHelp(string Name, string Description);

public sealed class ParameterHelp
{
    public string Name { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
    public string Type { get; set; } = string.Empty;
    public List<string> ParameterSets { get; } = [];
    public string Aliases { get; set; } = "None";
    public bool Required { get; set; }
    public string Position { get; set; } = "Named";
    public string DefaultValue { get; set; } = "None";
    public string PipelineInput { get; set; } = "False";
    public bool Globbing { get; set; }

    public bool IsSwitch => Type == "SwitchParameter";

    public bool InSet(string setName) =>
        ParameterSets.Contains("(All)") || ParameterSets.Contains(setName) || setName.Length == 0;
}
