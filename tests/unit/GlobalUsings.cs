// ChangeRunner moved from Changes/ to Operations/ (it does I/O); tests written against either place compile.
global using KvmTime.Operations;
