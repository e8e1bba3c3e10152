"""rampart"""
