using KvmTime.HelpBuilder;

// Usage: KvmTime.HelpBuilder <docs-folder> <output .dll-Help.xml>
if (args.Length != 2 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: KvmTime.HelpBuilder <docs-folder> <output-file>");
    return 2;
}

var pages = Directory.GetFiles(args[0], "*-*.md").Order(StringComparer.Ordinal)
    .Select(path => MarkdownHelpReader.Read(File.ReadAllText(path)))
    .ToList();
var temp = args[1] + ".tmp";
MamlWriter.Write(pages).Save(temp);
File.Move(temp, args[1], overwrite: true);
Console.WriteLine($"Wrote help for {pages.Count} commands to {args[1]}");
return 0;
