BeforeDiscovery {
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $CmdletNames = @(Get-Command -Module KvmTime | ForEach-Object Name)
}

BeforeAll {
    $ModulePath = $env:KVMTIME_MODULE
    $Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    Import-Module (Join-Path $ModulePath 'KvmTime.psd1') -Force
    $Cmdlets = Get-Command -Module KvmTime
}

Describe 'The staged module' -Tag 'Module' {
    It 'has the manifest, assemblies, format and type files, and en-US help' {
        foreach ($file in 'KvmTime.psd1', 'KvmTime.dll', 'KvmTime.Core.dll', 'KvmTime.Format.ps1xml', 'KvmTime.Types.ps1xml', 'en-US/KvmTime.dll-Help.xml', 'en-US/about_KvmTime.help.txt', 'en-US/about_KvmTime_Windows.help.txt') {
            Join-Path $ModulePath $file | Should -Exist
        }
    }

    It 'never ships the reference System.Management.Automation.dll' {
        Get-ChildItem $ModulePath -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }

    It 'takes its assembly version from the manifest (one version number)' {
        $manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'KvmTime.psd1')
        foreach ($dll in 'KvmTime.dll', 'KvmTime.Core.dll') {
            [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path $ModulePath $dll)).Version.ToString(3) | Should -Be $manifest.ModuleVersion
        }
        (Get-Module KvmTime).Version.ToString() | Should -Be $manifest.ModuleVersion
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'KvmTime.psd1')
        @($Cmdlets.Name | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
    }

    It 'imports without loading the SSH stack: SSH.NET and its dependencies load on the first SSH connection' {
        # What keeps Import-Module cheap (bench/results/local.md): only KvmTime.dll and KvmTime.Core.dll load.
        $script = "Import-Module '$(Join-Path $ModulePath 'KvmTime.psd1')'; [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name"
        $loaded = @(& dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script)
        $LASTEXITCODE | Should -Be 0
        $loaded | Should -Contain 'KvmTime.Core'
        @($loaded | Where-Object { $_ -in 'KvmTime.Ssh', 'Renci.SshNet', 'BouncyCastle.Cryptography' }) | Should -BeNullOrEmpty
    }

    It 'declares an OutputType on every cmdlet' {
        foreach ($cmd in $Cmdlets) { $cmd.OutputType | Should -Not -BeNullOrEmpty -Because $cmd.Name }
    }
}

Describe 'Help built from docs/' -Tag 'Module' {
    It 'has a docs page for every cmdlet' {
        foreach ($cmd in $Cmdlets) { Join-Path $Repo "docs/$($cmd.Name).md" | Should -Exist }
    }

    It 'documents every public parameter of <_>, and no parameter that does not exist' -ForEach $CmdletNames {
        # -WhatIf and -Confirm are documented like PlatyPS does; the other common parameters are not.
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
        # DontShow parameters (the hidden pipeline binding for plain host names) stay undocumented.
        $actual = @((Get-Command $_).Parameters.Values | Where-Object { $_.Name -notin $common -and -not ($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }) } | ForEach-Object Name | Sort-Object)
        $documented = @(Get-Content (Join-Path $Repo "docs/$_.md") | Where-Object { $_ -match '^### -(\w+)\s*$' } | ForEach-Object { $Matches[1] } | Sort-Object)
        $documented | Should -Be $actual
    }

    It 'Get-Help <_> -Full shows the synopsis, description, parameters and examples from docs/' -ForEach $CmdletNames {
        $page = Get-Content -Raw (Join-Path $Repo "docs/$_.md")
        $synopsis = ([regex]::Match($page, '## SYNOPSIS\s+(.+)')).Groups[1].Value.Trim()
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Be $synopsis
        ($help.Description | Out-String) | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($p in $help.Parameters.Parameter) { ($p.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "$_ -$($p.Name)" }
        (Get-Help $_ -Examples | Out-String) | Should -Match 'Example 1'
    }
}

Describe 'Help as a new user meets it' -Tag 'Module' {
    It 'shows one SYNTAX block per parameter set of <_>' -ForEach $CmdletNames {
        $sets = (Get-Command $_).ParameterSets.Count
        @((Get-Help $_).syntax.syntaxItem).Count | Should -Be $sets
    }

    It 'gives related links of <_> as cmdlet names, with no file name posing as a web address' -ForEach $CmdletNames {
        foreach ($link in @((Get-Help $_).relatedLinks.navigationLink)) {
            if ($link.uri) { $link.uri | Should -Match '^https?://' }
            $link.linkText | Should -Not -Match '\.md$'
        }
    }

    It 'about_KvmTime is the map of the module: it names every cmdlet, and says help ships with the module' {
        $about = Get-Help about_KvmTime | Out-String
        foreach ($name in $CmdletNames) { $about | Should -Match ([regex]::Escape($name)) -Because "$name belongs on the map" }
        $about | Should -Match 'ships with the module'
    }
}

Describe 'The package' -Tag 'Module' {
    It 'installs from a local file repository with Save-PSResource and imports' {
        $pkgDir = Join-Path $TestDrive 'repo'
        $null = New-Item -ItemType Directory $pkgDir
        $build = Join-Path $Repo 'build.ps1'
        $pwshDll = Join-Path $PSHOME 'pwsh.dll'
        & dotnet $pwshDll -NoProfile -NonInteractive -File $build -Task Package | Out-Null
        $LASTEXITCODE | Should -Be 0
        Copy-Item (Join-Path $Repo 'out/package/*.nupkg') $pkgDir
        $repoName = "kvmtime-test-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        Register-PSResourceRepository -Name $repoName -Uri $pkgDir -Trusted
        try {
            $dest = Join-Path $TestDrive 'modules'
            $null = New-Item -ItemType Directory $dest
            Save-PSResource -Name KvmTime -Repository $repoName -Path $dest -TrustRepository
            $saved = Get-ChildItem $dest -Recurse -Filter KvmTime.psd1 | Select-Object -First 1
            $saved | Should -Not -BeNullOrEmpty
            Join-Path $saved.DirectoryName 'LICENSE' | Should -Exist
            $nuspec = [System.IO.Compression.ZipFile]::OpenRead((Get-ChildItem $pkgDir -Filter *.nupkg).FullName)
            try { $spec = [System.IO.StreamReader]::new($nuspec.GetEntry('KvmTime.nuspec').Open()).ReadToEnd() } finally { $nuspec.Dispose() }
            $spec | Should -Match '<tags>[^<]*\bPSEdition_Core\b'
            $spec | Should -Match '<license type="file">LICENSE</license>'
            $spec | Should -Match '<releaseNotes>0\.1\.0'
            $out = & dotnet $pwshDll -NoProfile -NonInteractive -Command "Import-Module '$($saved.FullName)'; (Get-KvmClocksource).Current"
            $out | Should -Be (Get-Content /sys/devices/system/clocksource/clocksource0/current_clocksource).Trim()
        }
        finally { Unregister-PSResourceRepository -Name $repoName }
    }
}
