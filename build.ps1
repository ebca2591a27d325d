#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, documents, tests, packages and benchmarks KvmTime, and runs its lab.
.DESCRIPTION
    Plain PowerShell (InvokeBuild cannot be installed here). Tasks:
      Build    stage the importable module in out/KvmTime (manifest, DLLs, format/type files, en-US help)
      Docs     turn docs/*.md (PlatyPS layout) into out/KvmTime/en-US/KvmTime.dll-Help.xml
      Test     xunit, the parser fuzzer (60 s) and Pester (+ the lab), ending with one line "N passed, N failed"
      Package  out/package/KvmTime.<version>.nupkg for a local PSResource/PowerShellGet repository
      Run      build, import, and report this machine
      Bench    benchmarks in bench/, as markdown tables
      Lab      start, stop or show the libvirt test lab (-Action Start|Stop|Status)
.EXAMPLE
    dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Docs', 'Test', 'Package', 'Run', 'Bench', 'Lab')]
    [string] $Task = 'Build',

    [ValidateSet('Start', 'Stop', 'Status')]
    [string] $Action = 'Status',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester tags to leave out, e.g. -ExcludeTag Lab for a quick run.
    [string[]] $ExcludeTag = @()
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$Staged = Join-Path $Out 'KvmTime'
. (Join-Path $Root 'tests/TestRunner.ps1')

function Invoke-Native([string] $What, [scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    $publish = Join-Path $Out 'publish'
    Invoke-Native 'dotnet publish' { dotnet publish (Join-Path $Root 'src/KvmTime/KvmTime.csproj') -c $Configuration -o $publish --nologo -v quiet }
    if (Test-Path $Staged) { Remove-Item $Staged -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $Staged, (Join-Path $Staged 'en-US')
    # The module's own code sits at the root. The SSH transport and its dependencies go to
    # dependencies/, loaded into a private AssemblyLoadContext (see src/KvmTime/ModuleInitializer.cs).
    # A module must never ship the reference System.Management.Automation.dll.
    $dependencies = New-Item -ItemType Directory -Path (Join-Path $Staged 'dependencies')
    foreach ($dll in Get-ChildItem $publish -Filter *.dll | Where-Object Name -ne 'System.Management.Automation.dll') {
        $destination = if ($dll.Name -in 'KvmTime.dll', 'KvmTime.Core.dll') { $Staged } else { $dependencies }
        Copy-Item $dll.FullName -Destination $destination
    }
    Copy-Item (Join-Path $Root 'KvmTime.psd1'), (Join-Path $Root 'LICENSE') $Staged
    Copy-Item (Join-Path $Root 'module/*.ps1xml') $Staged
    Copy-Item (Join-Path $Root 'module/en-US/*') (Join-Path $Staged 'en-US')
    Invoke-Docs
    Write-Host "Staged module: $Staged"
}

function Invoke-Docs {
    $helpFile = Join-Path $Staged 'en-US/KvmTime.dll-Help.xml'
    $null = New-Item -ItemType Directory -Force -Path (Split-Path $helpFile)
    Invoke-Native 'help build' { dotnet run --project (Join-Path $Root 'src/KvmTime.HelpBuilder') -c $Configuration -- (Join-Path $Root 'docs') $helpFile }
}

function Invoke-Package {
    Invoke-Build
    $manifest = Import-PowerShellDataFile (Join-Path $Staged 'KvmTime.psd1')
    $packageDir = Join-Path $Out 'package'
    $null = New-Item -ItemType Directory -Force -Path $packageDir
    $nupkg = Join-Path $packageDir "KvmTime.$($manifest.ModuleVersion).nupkg"
    New-ModuleNupkg -Manifest $manifest -Destination $nupkg
    Write-Host "Package: $nupkg"
}

# A PowerShell module nupkg is a zip with a .nuspec at the root and the module files beside it,
# which is what Install-PSResource and Install-Module unpack from a local file repository.
function New-ModuleNupkg([hashtable] $Manifest, [string] $Destination) {
    $tags = @('PSModule') + $Manifest.PrivateData.PSData.Tags + @($Manifest.CmdletsToExport | ForEach-Object { "PSCmdlet_$_"; "PSCommand_$_" })
    $nuspec = @"
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd">
  <metadata>
    <id>KvmTime</id>
    <version>$($Manifest.ModuleVersion)</version>
    <authors>$($Manifest.Author)</authors>
    <description>$([System.Security.SecurityElement]::Escape($Manifest.Description))</description>
    <tags>$($tags -join ' ')</tags>
    <license type="file">LICENSE</license>
    <releaseNotes>$([System.Security.SecurityElement]::Escape($Manifest.PrivateData.PSData.ReleaseNotes))</releaseNotes>
  </metadata>
</package>
"@
    $temp = "$Destination.tmp"
    Remove-Item $temp -ErrorAction Ignore
    Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
    $zip = [System.IO.Compression.ZipFile]::Open($temp, 'Create')
    try {
        $entry = $zip.CreateEntry('KvmTime.nuspec')
        $writer = [System.IO.StreamWriter]::new($entry.Open())
        try { $writer.Write($nuspec) } finally { $writer.Dispose() }
        foreach ($file in Get-ChildItem $Staged -Recurse -File) {
            $relative = [System.IO.Path]::GetRelativePath($Staged, $file.FullName).Replace('\', '/')
            $null = [System.IO.Compression.ZipFileExtensions]::CreateEntryFromFile($zip, $file.FullName, $relative)
        }
    }
    finally { $zip.Dispose() }
    Move-Item $temp $Destination -Force
}

function Invoke-Run {
    Invoke-Build
    # The start-here report first (verdict, findings, fixes), then the clocksource and TSC details behind it.
    $null = Invoke-ChildPwsh -Command "Import-Module '$Staged/KvmTime.psd1'; `$h = Test-KvmTimeHealth; `$h | Format-List ComputerName, Verdict, Clocksource, TimeDaemon, Offset, IsSynchronized, IsKvmHost, IsVirtualMachine | Out-String -Width 200; `$h.Findings | Format-List Severity, Id, Subject, Message, Evidence, Fix | Out-String -Width 200; Get-KvmClocksource | Format-Table -AutoSize | Out-String -Width 200; Test-ConstantTsc | Format-List | Out-String -Width 200"
}

function Invoke-Lab {
    & bash (Join-Path $Root 'tests/lab/lab.sh') $Action.ToLowerInvariant()
    if ($LASTEXITCODE -ne 0) { throw "Lab $Action failed with exit code $LASTEXITCODE." }
}

function Invoke-Bench {
    Invoke-Build
    foreach ($bench in Get-ChildItem (Join-Path $Root 'bench') -Filter '*.bench.ps1') {
        $null = Invoke-ChildPwsh -File $bench.FullName -Arguments @('-ModulePath', $Staged)
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Docs' { Invoke-Docs }
    'Package' { Invoke-Package }
    'Run' { Invoke-Run }
    'Lab' { Invoke-Lab }
    'Bench' { Invoke-Bench }
    'Test' {
        Invoke-Build
        $exit = Invoke-TestSuite -Root $Root -ModulePath $Staged -Configuration $Configuration -ExcludeTag $ExcludeTag
        exit $exit
    }
}
