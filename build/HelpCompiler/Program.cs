using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace FhirSecurity.HelpCompiler;

/// <summary>
/// dotnet HelpCompiler.dll &lt;help folder&gt; &lt;output folder&gt; --manifest &lt;module .psd1&gt;
///
/// Compiles every &lt;Cmdlet&gt;.md of the help folder into &lt;RootModule&gt;-Help.xml (MAML) and every about_*.md into
/// about_*.help.txt. Fails (exit code 1, one MSBuild-style error line per problem) on a malformed file or a file for
/// a cmdlet the manifest does not export; warns about an exported cmdlet without a file.
/// </summary>
internal static partial class Program
{
    private const string Tool = "HelpCompiler";

    public static int Main(string[] args)
    {
        if (args.Length != 4 || args[2] != "--manifest")
        {
            Console.Error.WriteLine($"{Tool}: usage: dotnet HelpCompiler.dll <help folder> <output folder> --manifest <module .psd1>");
            return 2;
        }

        string helpDir = Path.GetFullPath(args[0]);
        string outDir = Path.GetFullPath(args[1]);
        string manifestPath = Path.GetFullPath(args[3]);
        if (!Directory.Exists(helpDir) || !File.Exists(manifestPath))
        {
            Console.Error.WriteLine($"{Tool}: error HC0000: '{helpDir}' or '{manifestPath}' does not exist.");
            return 2;
        }

        var manifest = Manifest.Read(manifestPath);
        var errors = new List<string>();
        var commands = new List<CommandHelp>();
        var topics = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(helpDir, "*.md").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            if (name.Equals("README", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            try
            {
                string text = File.ReadAllText(file, Encoding.UTF8);
                if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
                {
                    topics[name] = AboutTopicWriter.Write(name, text);
                }
                else if (!manifest.Cmdlets.Contains(name, StringComparer.Ordinal))
                {
                    errors.Add(Error(file, 1, $"'{name}' is not in CmdletsToExport of {Path.GetFileName(manifestPath)} (names are case-sensitive): rename the file after the cmdlet, or export the cmdlet."));
                }
                else
                {
                    commands.Add(CommandHelpReader.Read(name, text, manifest.Name, manifest.HelpFileName));
                }
            }
            catch (HelpFormatException ex)
            {
                errors.Add(Error(file, ex.LineNumber, ex.Message + ". See docs/help/README.md for the layout."));
            }
        }

        foreach (string error in errors)
        {
            Console.Error.WriteLine(error);
        }

        if (errors.Count > 0)
        {
            Console.Error.WriteLine($"{Tool}: {errors.Count} help file error(s); no help was written.");
            return 1;
        }

        foreach (string missing in manifest.Cmdlets.Where(c => commands.All(h => h.Name != c)))
        {
            Console.WriteLine($"{Path.Combine(helpDir, missing + ".md")}: warning HC0002: {missing} is exported but has no help file: Get-Help shows only its syntax.");
        }

        Directory.CreateDirectory(outDir);
        var ordered = commands.OrderBy(c => manifest.Cmdlets.IndexOf(c.Name)).ToArray();
        string mamlPath = Path.Combine(outDir, manifest.HelpFileName);
        using (var writer = XmlWriter.Create(mamlPath, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" }))
        {
            MamlWriter.Write(ordered).Save(writer);
        }

        foreach ((string topic, string text) in topics)
        {
            File.WriteAllText(Path.Combine(outDir, topic + ".help.txt"), text, new UTF8Encoding(false));
        }

        Console.WriteLine($"{Tool}: {ordered.Length} cmdlet(s) -> {mamlPath}; {topics.Count} about topic(s).");
        return 0;
    }

    // The canonical format MSBuild's Exec task turns into a build error pointing at the file and line.
    private static string Error(string file, int line, string message) => $"{file}({line}): error HC0001: {message}";

    /// <summary>What the compiler needs from the module manifest.</summary>
    private sealed record Manifest(string Name, string HelpFileName, List<string> Cmdlets)
    {
        public static Manifest Read(string path)
        {
            string text = File.ReadAllText(path);
            string rootModule = RootModule().Match(text) is { Success: true } root ? root.Groups[1].Value : Path.GetFileNameWithoutExtension(path) + ".dll";
            Match list = CmdletsToExport().Match(text);
            var cmdlets = list.Success
                ? Quoted().Matches(list.Groups[1].Value).Select(m => m.Groups[1].Value).ToList()
                : [];
            return new Manifest(Path.GetFileNameWithoutExtension(path), rootModule + "-Help.xml", cmdlets);
        }
    }

    [GeneratedRegex(@"RootModule\s*=\s*'([^']+)'")]
    private static partial Regex RootModule();

    [GeneratedRegex(@"CmdletsToExport\s*=\s*@\(([^)]*)\)", RegexOptions.Singleline)]
    private static partial Regex CmdletsToExport();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex Quoted();
}
