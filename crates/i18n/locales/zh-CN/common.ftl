# 所有程序共用的词：评分器、示例程序和本书。
lang-name = 中文
yes = 是
no = 否
passed = 通过
failed = 未通过
runs = { $count } 次运行
submissions = { $count } 份提交
